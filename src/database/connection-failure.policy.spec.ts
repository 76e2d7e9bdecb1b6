import { connectionFailure, withoutPassword } from './connection-failure.policy';

const failing = (code: string) => Object.assign(new Error(''), { code });

describe('connectionFailure', () => {
  it.each([
    [
      'a closed port',
      'postgres://gv:s3cret@db.example.fr:5433/gv',
      'ECONNREFUSED',
      'PostgreSQL ne répond pas sur db.example.fr:5433 : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv:***@db.example.fr:5433/gv)',
    ],
    [
      'a closed port, the URL naming none (pg’s 5432)',
      'postgres://postgres@127.0.0.1/guichet_vert',
      'ECONNREFUSED',
      'PostgreSQL ne répond pas sur 127.0.0.1:5432 : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://postgres@127.0.0.1/guichet_vert)',
    ],
    [
      'an unknown host',
      'postgres://gv@bdd/gv',
      'ENOTFOUND',
      'l’hôte PostgreSQL « bdd » est introuvable : vérifiez le nom d’hôte de DATABASE_URL (DATABASE_URL : postgres://gv@bdd/gv)',
    ],
    [
      'a host behind a firewall',
      'postgres://gv@10.0.0.9:5432/gv',
      'ETIMEDOUT',
      'PostgreSQL ne répond pas à temps sur 10.0.0.9:5432 : vérifiez le réseau, un pare-feu, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv@10.0.0.9:5432/gv)',
    ],
    [
      'a wrong password',
      'postgres://gv:mauvais@db:5432/gv',
      '28P01',
      'PostgreSQL sur db:5432 refuse le mot de passe de l’utilisateur « gv » : vérifiez l’utilisateur et le mot de passe de DATABASE_URL (DATABASE_URL : postgres://gv:***@db:5432/gv)',
    ],
    [
      'a missing database',
      'postgres://gv@db/guichet',
      '3D000',
      'la base de données « guichet » n’existe pas sur db:5432 : corrigez DATABASE_URL, ou créez-la (createdb guichet) (DATABASE_URL : postgres://gv@db/guichet)',
    ],
  ])('%s', (_case, url, code, line) => {
    expect(connectionFailure(url, failing(code))).toBe(line);
  });

  // pg's own time limit to connect (connectTimeoutMS) ends with no code: said as the system's ETIMEDOUT.
  it.each([
    ['a client', 'timeout expired'],
    ['a pool (TypeORM)', 'Connection terminated due to connection timeout'],
  ])('pg’s time limit to connect, for %s', (_case, message) => {
    expect(connectionFailure('postgres://gv@10.0.0.9:5432/gv', new Error(message))).toBe(
      'PostgreSQL ne répond pas à temps sur 10.0.0.9:5432 : vérifiez le réseau, un pare-feu, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv@10.0.0.9:5432/gv)',
    );
  });

  it.each([
    [new Error('relation "x" does not exist')],
    [failing('42P01')],
    [Object.assign(new Error('timeout expired'), { code: 'XX' })],
    [null],
    ['texte'],
  ])('leaves any other error to its own words (%p)', (error) => {
    expect(connectionFailure('postgres://gv@db/gv', error)).toBeNull();
  });

  it.each([
    ['postgres://gv:s3cret@db/gv', 'postgres://gv:***@db/gv'],
    ['postgres://gv@db/gv', 'postgres://gv@db/gv'],
    ['pas une url', '(adresse illisible)'],
  ])('shows %s as %s', (url, shown) => {
    expect(withoutPassword(url)).toBe(shown);
  });
});
