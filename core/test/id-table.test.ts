import { expect } from 'chai';
import { IdTable } from '../src/util/id-table.js';

describe('IdTable (calls awaiting an answer, by id)', () => {
  it('takes each entry once, counts what is left, and takes all at once', () => {
    const table = new IdTable<string>();
    table.set(1, 'one');
    table.set(2, 'two');
    table.set(2 ** 40, 'far');
    table.set(2, 'two again');
    expect(table.size).to.equal(3);
    expect(table.take(2)).to.equal('two again');
    expect(table.take(2)).to.equal(undefined);
    expect(table.size).to.equal(2);
    expect(table.takeAll().sort()).to.deep.equal(['far', 'one']);
    expect(table.size).to.equal(0);
    expect(table.take(1)).to.equal(undefined);
  });
});
