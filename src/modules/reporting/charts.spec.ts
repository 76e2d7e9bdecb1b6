import { barChart } from './charts';

describe('barChart', () => {
  it('scales every bar on the largest value, current above previous', () => {
    const chart = barChart([
      { label: 'Reçue', current: 10, previous: 5 },
      { label: 'Clôturée', current: 0, previous: 20 },
    ]);
    // 720 wide, bars from x = 260, 70 left for the values: 390 for the largest value (20).
    expect(chart.bars.map((b) => [b.label, b.y, b.current.width, b.previous.width])).toEqual([
      ['Reçue', 4, 195, 98],
      ['Clôturée', 40, 0, 390],
    ]);
    expect(chart.height).toBe(76);
  });

  it('draws empty bars when there is nothing to count', () => {
    const chart = barChart([{ label: 'Aucune', current: null, previous: 0 }]);
    expect(chart.bars[0].current).toEqual({ value: 0, width: 0 });
    expect(chart.bars[0].previous).toEqual({ value: 0, width: 0 });
  });
});
