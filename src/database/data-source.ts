import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { connectionFailure } from './connection-failure.policy';
import { migrationDataSourceOptions } from './data-source-options';

// The command as typed (migration:generate…), to head its one line.
const command = process.argv.find((arg) => arg.startsWith('migration:')) ?? 'migration';

/** Whoever runs a migration by hand reads what is wrong in one line; TypeORM's CLI would print a stack trace. */
function stop(line: string, code: number): never {
  process.stderr.write(`${command} impossible : ${line}\n`);
  process.exit(code);
}

/** A PostgreSQL out of reach is said, with what to check, instead of TypeORM's stack. */
class MigrationDataSource extends DataSource {
  override async initialize(): Promise<this> {
    try {
      return await super.initialize();
    } catch (error) {
      const problem = connectionFailure(settings.DATABASE_URL, error);
      if (problem) stop(problem, 1);
      throw error;
    }
  }
}

function config(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    // 78 as at the service's start: the configuration, not the database.
    if (error instanceof ConfigError) stop(error.report, 78);
    throw error;
  }
}

const settings = config();

/** Used by the TypeORM CLI (npm run migration:generate); running and reverting go through the CLI's `migrate`, under the boot's lock. */
export default new MigrationDataSource(migrationDataSourceOptions(settings));
