import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { reconFlowsSuite } from './recon-flows.suite.js';

describe.skipIf(!(await mysqlAvailable()))('mysql', () => {
  reconFlowsSuite('mysql');
});
