import { z } from 'zod';

export const MYSQL_URL_MESSAGE =
  'must be a mysql:// URL (MySQL or MariaDB), e.g. mysql://root@127.0.0.1:3306/redpkt';

/** Issue 17: `--mysql` / REDPKT_MYSQL take MySQL or MariaDB only (`postgres://…` is a usage error). */
export const isMysqlUrl = (url: string): boolean => {
  try {
    return new URL(url).protocol === 'mysql:';
  } catch {
    return false;
  }
};

export const mysqlUrl = z.string().refine(isMysqlUrl, MYSQL_URL_MESSAGE);
