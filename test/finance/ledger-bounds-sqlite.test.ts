import { ledgerBoundsContract } from './ledger-bounds.contract.js';

ledgerBoundsContract('sqlite');
