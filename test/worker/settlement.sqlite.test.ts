import { settlementSuite } from './settlement.suite.js';

settlementSuite('sqlite');
