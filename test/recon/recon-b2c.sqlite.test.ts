import { reconB2cSuite } from './recon-b2c.suite.js';

reconB2cSuite('sqlite');
