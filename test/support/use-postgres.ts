// Jest setup file of the `-pg` projects: the same specs, on PostgreSQL (see test-database.ts).
process.env.TEST_ENGINE = 'postgres';
