import { describe } from 'vitest';
import { mysqlAvailable, redisAvailable } from '../support/services.js';
import { b2cServiceSuite } from './b2c-service.suite.js';

const ready = (await mysqlAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('on MariaDB + Redis', () => {
  b2cServiceSuite('mysql');
});
