import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestStatus } from '../requests/request.types';
import { visibleRequestsCondition } from '../workspace/staff-requests.repository';
import type { AccountLinkPurpose, StaffPrincipal, ThrottleKind } from './accounts.types';

/** A request a facilitator still holds, as the deactivation pages list it. */
export interface HeldRequest {
  reference: string;
  subject: string;
  status: RequestStatus;
}

export interface StoredAccount extends StaffPrincipal {
  passwordHash: string | null;
  active: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/** A new account has the same fields as the principal it will become. */
export type NewAccount = StaffPrincipal;

export interface ApiTokenRow {
  id: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A facilitator's network is its directory entry's; an animator's, those it was given; an admin's, none. */
const ACCOUNT_VIEW = `
  SELECT u.id, u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.role, u.facilitator_id AS "facilitatorId",
         CASE WHEN u.role = 'facilitator' THEN ARRAY[f.network_code::text]
              ELSE ARRAY(SELECT n.network_code::text FROM staff_user_networks n WHERE n.user_id = u.id ORDER BY 1) END AS "networkCodes",
         u.password_hash AS "passwordHash", u.active, u.created_at AS "createdAt", u.last_sign_in_at AS "lastSignInAt"
    FROM staff_users u LEFT JOIN facilitators f ON f.id = u.facilitator_id`;

/** A facilitator record of the directory, as accounts see it. */
export interface DirectoryRecord {
  id: string;
  firstName: string;
  lastName: string;
  networkCode: string;
}

/** Whose attempts a throttle counts: those typed for an account, those from a client address, or both at once. */
export type ThrottledBy = { accountKey: string; clientAddress?: string } | { accountKey?: string; clientAddress: string };

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByEmail(email: string, db: DataSource | EntityManager = this.dataSource): Promise<StoredAccount | null> {
    return (await db.query(`${ACCOUNT_VIEW} WHERE u.email = $1`, [email]))[0] ?? null;
  }

  async findById(id: string, db: DataSource | EntityManager = this.dataSource): Promise<StoredAccount | null> {
    return (await db.query(`${ACCOUNT_VIEW} WHERE u.id = $1`, [id]))[0] ?? null;
  }

  /**
   * Every account, or those whose networks meet the given ones; the policy then decides which may be managed. By name
   * as a French reader expects (« de La Tour » among the D, « Émery » among the E), whatever the database's collation.
   */
  async list(networkCodes: string[] | null): Promise<StoredAccount[]> {
    return this.dataSource.query(
      `SELECT * FROM (${ACCOUNT_VIEW}) a WHERE $1::text[] IS NULL OR a."networkCodes" && $1::text[]
        ORDER BY a.active DESC, a."lastName" COLLATE "fr-x-icu", a."firstName" COLLATE "fr-x-icu", a.email`,
      [networkCodes],
    );
  }

  async lockById(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`SELECT 1 FROM staff_users WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** An animator's account takes the facilitator record of the same address (see AccountsService.invite). */
  async linkFacilitator(manager: EntityManager, userId: string, facilitatorId: string): Promise<void> {
    await manager.query(`UPDATE staff_users SET facilitator_id = $2 WHERE id = $1`, [userId, facilitatorId]);
  }

  /** The open requests the facilitator holds that `by` may see (an animator: their networks'), oldest first. */
  heldRequests(by: StaffPrincipal, facilitatorId: string): Promise<HeldRequest[]> {
    const visible = visibleRequestsCondition(by, 2);
    return this.dataSource.query(
      `SELECT r.reference, r.subject, r.status FROM requests r
        WHERE r.assigned_facilitator_id = $1 AND r.status <> 'closed' AND ${visible.sql}
        ORDER BY r.created_at, r.id`,
      [facilitatorId, ...visible.params],
    );
  }

  /** Whether the facilitator record receives requests (« Reçoit des demandes »). */
  async receivesRequests(manager: EntityManager, facilitatorId: string): Promise<boolean> {
    const rows: Array<{ active: boolean }> = await manager.query(`SELECT active FROM facilitators WHERE id = $1`, [facilitatorId]);
    return rows[0]?.active ?? false;
  }

  async facilitatorByEmail(db: DataSource | EntityManager, email: string): Promise<DirectoryRecord | null> {
    return this.facilitatorWhere(db, 'email', email);
  }

  /** The record an account holds (its network decides who may hold it). */
  async facilitatorById(db: DataSource | EntityManager, id: string): Promise<DirectoryRecord | null> {
    return this.facilitatorWhere(db, 'id', id);
  }

  private async facilitatorWhere(db: DataSource | EntityManager, column: 'email' | 'id', value: string): Promise<DirectoryRecord | null> {
    const rows = await db.query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", network_code AS "networkCode" FROM facilitators WHERE ${column} = $1`,
      [value],
    );
    return rows[0] ?? null;
  }

  async insert(manager: EntityManager, account: NewAccount): Promise<void> {
    await manager.query(
      `INSERT INTO staff_users (id, email, first_name, last_name, role, facilitator_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [account.id, account.email, account.firstName, account.lastName, account.role, account.facilitatorId],
    );
    await this.setNetworks(manager, account.id, account.role === 'animator' ? account.networkCodes : []);
  }

  async setNetworks(manager: EntityManager, userId: string, networkCodes: string[]): Promise<void> {
    await manager.query(`DELETE FROM staff_user_networks WHERE user_id = $1`, [userId]);
    await manager.query(`INSERT INTO staff_user_networks (user_id, network_code) SELECT $1, unnest($2::text[])`, [userId, networkCodes]);
  }

  /** The account's address, and its facilitator record's when it holds one: one person, one address. */
  async setEmail(manager: EntityManager, userId: string, facilitatorId: string | null, email: string): Promise<void> {
    await manager.query(`UPDATE staff_users SET email = $2 WHERE id = $1`, [userId, email]);
    if (facilitatorId) await manager.query(`UPDATE facilitators SET email = $2, updated_at = now() WHERE id = $1`, [facilitatorId, email]);
  }

  /** The account holding this facilitator record, if any. */
  async findByFacilitator(manager: EntityManager, facilitatorId: string): Promise<StoredAccount | null> {
    return (await manager.query(`${ACCOUNT_VIEW} WHERE u.facilitator_id = $1`, [facilitatorId]))[0] ?? null;
  }

  async facilitatorEmailTaken(manager: EntityManager, email: string, exceptId: string): Promise<boolean> {
    return (await manager.query(`SELECT 1 FROM facilitators WHERE email = $1 AND id <> $2`, [email, exceptId])).length > 0;
  }

  async updateNames(userId: string, firstName: string, lastName: string): Promise<void> {
    await this.dataSource.query(`UPDATE staff_users SET first_name = $2, last_name = $3 WHERE id = $1`, [userId, firstName, lastName]);
  }

  async setPassword(db: DataSource | EntityManager, userId: string, passwordHash: string): Promise<void> {
    await db.query(`UPDATE staff_users SET password_hash = $2 WHERE id = $1`, [userId, passwordHash]);
  }

  async setActive(manager: EntityManager, userId: string, active: boolean): Promise<void> {
    await manager.query(`UPDATE staff_users SET active = $2 WHERE id = $1`, [userId, active]);
  }

  async recordSignIn(db: DataSource | EntityManager, userId: string, at: Date): Promise<void> {
    await db.query(`UPDATE staff_users SET last_sign_in_at = $2 WHERE id = $1`, [userId, at]);
  }

  // Sessions

  async insertSession(
    db: DataSource | EntityManager,
    session: { id: string; tokenHash: Buffer; userId: string; now: Date; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO staff_sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
      [session.id, session.tokenHash, session.userId, session.now, session.expiresAt],
    );
  }

  /** The live session of an active account: not revoked, within its absolute end and idle timeout. */
  async findLiveSession(
    tokenHash: Buffer,
    now: Date,
    lifetime: { idleMs: number; maxMs: number },
  ): Promise<{ sessionId: string; lastSeenAt: Date; principal: StaffPrincipal } | null> {
    // The age cap read from created_at too: a session opened under a longer one (before a deploy) ends at today's.
    const rows = await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.last_seen_at AS "lastSeenAt", a.*
         FROM staff_sessions s JOIN (${ACCOUNT_VIEW}) a ON a.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
          AND s.last_seen_at > $2 - make_interval(secs => $3) AND s.created_at > $2 - make_interval(secs => $4) AND a.active`,
      [tokenHash, now, lifetime.idleMs / 1000, lifetime.maxMs / 1000],
    );
    if (!rows[0]) return null;
    const { sessionId, lastSeenAt, ...account } = rows[0];
    return { sessionId, lastSeenAt, principal: toPrincipal(account) };
  }

  async touchSession(sessionId: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1`, [sessionId, now]);
  }

  async revokeSession(sessionId: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE staff_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, now]);
  }

  /** Every session of the account but the one kept (after a password change, the current one). */
  async revokeSessionsOf(db: DataSource | EntityManager, userId: string, now: Date, keepSessionId: string | null = null): Promise<void> {
    await db.query(
      `UPDATE staff_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3)`,
      [userId, now, keepSessionId],
    );
  }

  // API tokens

  async insertApiToken(db: DataSource | EntityManager, token: { id: string; userId: string; label: string; tokenHash: Buffer; now: Date }) {
    await db.query(`INSERT INTO api_tokens (id, user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      token.id,
      token.userId,
      token.label,
      token.tokenHash,
      token.now,
    ]);
  }

  async findLiveApiToken(tokenHash: Buffer): Promise<{ tokenId: string; lastUsedAt: Date | null; principal: StaffPrincipal } | null> {
    const rows = await this.dataSource.query(
      `SELECT t.id AS "tokenId", t.last_used_at AS "lastUsedAt", a.*
         FROM api_tokens t JOIN (${ACCOUNT_VIEW}) a ON a.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active`,
      [tokenHash],
    );
    if (!rows[0]) return null;
    const { tokenId, lastUsedAt, ...account } = rows[0];
    return { tokenId, lastUsedAt, principal: toPrincipal(account) };
  }

  async touchApiToken(tokenId: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [tokenId, now]);
  }

  async listApiTokens(userId: string): Promise<ApiTokenRow[]> {
    return this.dataSource.query(
      `SELECT id, label, created_at AS "createdAt", last_used_at AS "lastUsedAt"
         FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC`,
      [userId],
    );
  }

  /** Returns whether a live token of this user was revoked. */
  async revokeApiToken(userId: string, tokenId: string, now: Date): Promise<boolean> {
    const [, count] = await this.dataSource.query(
      `UPDATE api_tokens SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL`,
      [userId, tokenId, now],
    );
    return count === 1;
  }

  async revokeApiTokensOf(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, now]);
  }

  // Single-use links

  async insertLink(
    manager: EntityManager,
    link: { id: string; userId: string; purpose: AccountLinkPurpose; tokenHash: Buffer; now: Date; expiresAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO account_links (id, user_id, purpose, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [link.id, link.userId, link.purpose, link.tokenHash, link.now, link.expiresAt],
    );
  }

  /** A link not used yet and not expired; with a manager, locked until the caller's commit. */
  async findUsableLink(
    db: DataSource | EntityManager,
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ linkId: string; purpose: AccountLinkPurpose; account: StoredAccount } | null> {
    const lock = db instanceof EntityManager ? 'FOR UPDATE OF l' : '';
    const rows = await db.query(
      `SELECT l.id AS "linkId", l.purpose, l.user_id AS "userId"
         FROM account_links l JOIN staff_users u ON u.id = l.user_id
        WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND u.active ${lock}`,
      [tokenHash, now],
    );
    if (!rows[0]) return null;
    const account = await this.findById(rows[0].userId, db);
    return account && { linkId: rows[0].linkId, purpose: rows[0].purpose, account };
  }

  /** Uses up every pending link of the account: a new link, or a password set, voids the older ones. */
  async voidLinksOf(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE account_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
  }

  // Throttling

  async recordThrottleEvent(kind: ThrottleKind, accountKey: string, clientAddress: string, now: Date): Promise<void> {
    await this.dataSource.query(`INSERT INTO throttle_events (kind, account_key, client_address, created_at) VALUES ($1, $2, $3, $4)`, [
      kind,
      accountKey.slice(0, 254),
      clientAddress.slice(0, 64),
      now,
    ]);
  }

  /**
   * One more event of the kind, recorded only while fewer than `max` of the kind, whatever their keys, happened since
   * `since`: whether it was. Asks at once queue on a lock of the kind, each then counting those recorded before it: a
   * lone INSERT … SELECT would not do, two statements' snapshots both missing the other's row.
   */
  async recordWithinOverallLimit(
    kind: ThrottleKind,
    accountKey: string,
    clientAddress: string,
    now: Date,
    since: Date,
    max: number,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('throttle-overall'), hashtext($1))`, [kind]);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO throttle_events (kind, account_key, client_address, created_at)
         SELECT $1::text, $2::text, $3::text, $4::timestamptz
          WHERE (SELECT count(*) FROM throttle_events WHERE kind = $1::text AND created_at > $5) < $6
         RETURNING 1`,
        [kind, accountKey.slice(0, 254), clientAddress.slice(0, 64), now, since, max],
      );
      return inserted.length > 0;
    });
  }

  /** The time of the n-th most recent event for this key since `since`, or null when there are fewer. */
  async nthRecentEvent(kind: ThrottleKind, of: ThrottledBy, since: Date, n: number): Promise<Date | null> {
    const rows = await this.dataSource.query(
      `SELECT created_at AS "at" FROM throttle_events
        WHERE kind = $1 AND ($2::text IS NULL OR account_key = $2) AND ($3::text IS NULL OR client_address = $3) AND created_at > $4
        ORDER BY created_at DESC OFFSET $5 LIMIT 1`,
      [kind, of.accountKey ?? null, of.clientAddress ?? null, since, n - 1],
    );
    return rows[0]?.at ?? null;
  }

  async clearThrottle(kind: ThrottleKind, accountKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM throttle_events WHERE kind = $1 AND account_key = $2`, [kind, accountKey]);
  }

  /**
   * Ended sessions, used or expired links, revoked tokens and throttle counts older than a day. A session ended by
   * its idle time goes at its maximum age (expires_at), hours later at most: the sweep need not know the idle time.
   */
  async purgeExpired(now: Date): Promise<void> {
    const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000);
    await this.dataSource.query(`DELETE FROM staff_sessions WHERE expires_at < $1 OR revoked_at < $1`, [now]);
    await this.dataSource.query(`DELETE FROM account_links WHERE expires_at < $1 OR used_at < $1`, [dayAgo]);
    await this.dataSource.query(`DELETE FROM api_tokens WHERE revoked_at < $1`, [dayAgo]);
    await this.dataSource.query(`DELETE FROM throttle_events WHERE created_at < $1`, [dayAgo]);
  }
}

function toPrincipal(account: StaffPrincipal): StaffPrincipal {
  const { id, email, firstName, lastName, role, facilitatorId, networkCodes } = account;
  return { id, email, firstName, lastName, role, facilitatorId, networkCodes };
}
