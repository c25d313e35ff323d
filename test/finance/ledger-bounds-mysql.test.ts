import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { ledgerBoundsContract } from './ledger-bounds.contract.js';

describe.skipIf(!(await mysqlAvailable()))('MariaDB', () => {
  ledgerBoundsContract('mysql');
});
