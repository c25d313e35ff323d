import { withdrawalUnpayableTransferSuite } from './withdrawal-unpayable-transfer.suite.js';

withdrawalUnpayableTransferSuite('sqlite');
