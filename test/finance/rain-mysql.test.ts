import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { rainContract } from './rain.contract.js';

describe.skipIf(!(await mysqlAvailable()))('MariaDB', () => {
  rainContract('mysql');
});
