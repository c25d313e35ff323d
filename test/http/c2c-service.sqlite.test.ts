import { c2cServiceSuite } from './c2c-service.suite.js';

c2cServiceSuite('sqlite');
