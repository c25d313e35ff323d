import { reconFlowsSuite } from './recon-flows.suite.js';

reconFlowsSuite('sqlite');
