import { chosenNetworks } from './account-networks.policy';

describe('chosenNetworks', () => {
  const allowed = ['aura-ee', 'reseco'];
  it.each([
    ['one network', 'reseco', ['reseco'], []],
    ['two, repeated, in order', ['reseco', 'aura-ee', 'reseco'], ['aura-ee', 'reseco'], []],
    ['none', undefined, [], ['networkCodes']],
    ['an empty value', '', [], ['networkCodes']],
    ['one the chooser may not give', ['reseco', 'arbe'], [], ['networkCodes']],
    ['not text', [{ code: 'reseco' }], [], ['networkCodes']],
  ])('%s', (_label, input, networkCodes, fields) => {
    const result = chosenNetworks(input, allowed);
    expect(result.networkCodes).toEqual(networkCodes);
    expect(result.errors.map((e) => e.field)).toEqual(fields);
  });
});
