import { financeContract } from './finance.contract.js';

financeContract('sqlite');
