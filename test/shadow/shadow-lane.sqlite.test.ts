import { shadowLaneSuite } from './shadow-lane.suite.js';

shadowLaneSuite('sqlite');
