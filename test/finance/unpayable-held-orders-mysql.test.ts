import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { unpayableHeldOrdersContract } from './unpayable-held-orders.contract.js';

describe.skipIf(!(await mysqlAvailable()))('MariaDB', () => {
  unpayableHeldOrdersContract('mysql');
});
