import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { settlementSuite } from './settlement.suite.js';

describe.skipIf(!(await mysqlAvailable()))('mysql', () => settlementSuite('mysql'));
