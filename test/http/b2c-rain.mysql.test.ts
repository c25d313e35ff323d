import { describe } from 'vitest';
import { mysqlAvailable, redisAvailable } from '../support/services.js';
import { b2cRainSuite } from './b2c-rain.suite.js';

const ready = (await mysqlAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('on MariaDB + Redis', () => {
  b2cRainSuite('mysql');
});
