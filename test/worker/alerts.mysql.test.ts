import { describe } from 'vitest';
import { mysqlAvailable } from '../support/services.js';
import { alertsSuite } from './alerts.suite.js';

describe.skipIf(!(await mysqlAvailable()))('mysql', () => alertsSuite('mysql'));
