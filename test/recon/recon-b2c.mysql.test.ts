import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { reconB2cSuite } from './recon-b2c.suite.js';

describe.skipIf(!(await mysqlAvailable()))('mysql', () => {
  reconB2cSuite('mysql');
});
