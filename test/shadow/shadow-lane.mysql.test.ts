import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { shadowLaneSuite } from './shadow-lane.suite.js';

describe.skipIf(!(await mysqlAvailable()))('on MariaDB', () => {
  shadowLaneSuite('mysql');
});
