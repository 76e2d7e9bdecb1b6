import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A network as its page lists it: territory, people and the address its alerts go to without an animator. */
export interface NetworkOverview {
  code: string;
  name: string;
  contactEmail: string | null;
  isNational: boolean;
  regions: string[];
  departmentCount: number;
  animators: string[];
  environmentalAdvisers: number;
  socialClauseFacilitators: number;
}

@Injectable()
export class NetworksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The networks of `scope` (null: all), by name; active people only. */
  overview(scope: readonly string[] | null): Promise<NetworkOverview[]> {
    return this.dataSource.query(
      `SELECT n.code, n.name, n.contact_email AS "contactEmail", n.is_national AS "isNational",
              ARRAY(SELECT g.name FROM regions g WHERE g.network_code = n.code ORDER BY g.name) AS regions,
              (SELECT count(*)::int FROM departments d JOIN regions g ON g.code = d.region_code WHERE g.network_code = n.code) AS "departmentCount",
              ARRAY(SELECT u.first_name || ' ' || u.last_name FROM staff_users u JOIN staff_user_networks un ON un.user_id = u.id
                     WHERE un.network_code = n.code AND u.role = 'animator' AND u.active ORDER BY u.last_name, u.first_name) AS animators,
              (SELECT count(*)::int FROM facilitators f WHERE f.network_code = n.code AND f.active AND f.kind = 'environmental') AS "environmentalAdvisers",
              (SELECT count(*)::int FROM facilitators f WHERE f.network_code = n.code AND f.active AND f.kind = 'social_clause') AS "socialClauseFacilitators"
         FROM networks n
        WHERE $1::text[] IS NULL OR n.code = ANY($1::text[])
        ORDER BY n.is_national, n.name`,
      [scope],
    );
  }

  async setContactEmail(manager: EntityManager, code: string, email: string): Promise<void> {
    await manager.query(`UPDATE networks SET contact_email = $2 WHERE code = $1`, [code, email]);
  }
}
