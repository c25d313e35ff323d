import { b2cServiceSuite } from './b2c-service.suite.js';

b2cServiceSuite('sqlite');
