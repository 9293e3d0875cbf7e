import { expect } from 'chai';
import plugin from '../src/index.js';

describe('plugin package', () => {
  it('exports a branded plugin definition', () => {
    expect(plugin.apiVersion).to.equal(1);
  });
});
