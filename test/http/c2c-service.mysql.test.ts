import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { c2cServiceSuite } from './c2c-service.suite.js';

describe.skipIf(!(await mysqlAvailable()))('on MariaDB', () => {
  c2cServiceSuite('mysql');
});
