import { b2cRainSuite } from './b2c-rain.suite.js';

b2cRainSuite('sqlite');
