import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from './src/config/database.config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run` after `npm run build`), built from the
 * same environment variables and factory as the service.
 */
export default new DataSource(dataSourceOptions(readDatabaseConfig()));
