import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { financeContract } from './finance.contract.js';

describe.skipIf(!(await mysqlAvailable()))('MariaDB', () => {
  financeContract('mysql');
});
