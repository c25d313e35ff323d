import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { withdrawalUnpayableTransferSuite } from './withdrawal-unpayable-transfer.suite.js';

describe.skipIf(!(await mysqlAvailable()))('on MariaDB', () => {
  withdrawalUnpayableTransferSuite('mysql');
});
