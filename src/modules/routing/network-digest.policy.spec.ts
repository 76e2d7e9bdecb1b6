import { networkDigestMails } from './network-digest.policy';

describe('networkDigestMails', () => {
  const digest = ({ networkName }: { networkName: string }) => ({
    requestId: null,
    template: 'network-pool-alert',
    subject: `Réserve de ${networkName}`,
    context: { announced: 2 },
  });

  it.each<[string, Parameters<typeof networkDigestMails>[0], Array<[string, boolean]>]>([
    ['no such network', null, []],
    ['neither animator nor contact address', { networkName: 'Réseau A', emails: [], toContact: true }, []],
    [
      'its animators',
      { networkName: 'Réseau A', emails: ['a@example.org', 'b@example.org'], toContact: false },
      [
        ['a@example.org', false],
        ['b@example.org', false],
      ],
    ],
    ['its contact address', { networkName: 'Réseau A', emails: ['contact@example.org'], toContact: true }, [['contact@example.org', true]]],
  ])('%s', (_, network, expected) => {
    expect(networkDigestMails(network, digest)).toEqual(
      expected.map(([recipient, toNetworkContact]) => ({
        requestId: null,
        template: 'network-pool-alert',
        recipient,
        subject: 'Réserve de Réseau A',
        context: { announced: 2, networkName: 'Réseau A', toNetworkContact },
      })),
    );
  });
});
