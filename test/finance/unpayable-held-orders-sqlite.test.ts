import { unpayableHeldOrdersContract } from './unpayable-held-orders.contract.js';

unpayableHeldOrdersContract('sqlite');
