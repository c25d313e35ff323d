import { describe, expect, it } from 'vitest';
import { serverVersionProblem } from './server-version.js';

describe('the MySQL/MariaDB versions serve accepts', () => {
  it('accepts MariaDB 10.6 and later, and MySQL 8.0.4 and later', () => {
    for (const v of [
      '10.6.0-MariaDB',
      '10.11.19-MariaDB-0+deb12u1',
      '11.4.2-MariaDB-log',
      '8.0.4',
      '8.0.36',
      '8.4.0',
      '9.1.0',
    ])
      expect(serverVersionProblem(v), v).toBeUndefined();
  });

  it('refuses older ones, naming the version needed', () => {
    expect(serverVersionProblem('10.5.23-MariaDB')).toBe(
      'MariaDB 10.5.23 is too old: redpkt needs MariaDB 10.6.0 or later (JSON_TABLE)',
    );
    expect(serverVersionProblem('10.3.39-MariaDB-0+deb10u1')).toMatch(/MariaDB 10\.3\.39 is too old/);
    expect(serverVersionProblem('8.0.3-rc')).toBe(
      'MySQL 8.0.3 is too old: redpkt needs MySQL 8.0.4 or later (JSON_TABLE)',
    );
    expect(serverVersionProblem('5.7.44-log')).toMatch(/MySQL 5\.7\.44 is too old/);
  });

  it('leaves a version text it cannot read to the server', () => {
    expect(serverVersionProblem('')).toBeUndefined();
    expect(serverVersionProblem('unknown')).toBeUndefined();
  });
});
