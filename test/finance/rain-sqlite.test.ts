import { rainContract } from './rain.contract.js';

rainContract('sqlite');
