import { createDataFrame, FieldType } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { annotationSupport, toAnnotationEvents } from './annotations';
import { annotationsFrame } from './frames';
import { QUERY_DEFAULTS } from '@floorboard/contract';

describe('annotation support', () => {
  it('turns the annotations frame into coloured region events', async () => {
    const frame = annotationsFrame(
      [
        {
          time: 1000,
          timeEnd: 5000,
          title: 'Sales breach',
          text: 'Longest wait 95 s',
          tags: ['sla', 'Sales'],
          queue: 'Sales',
          metric: 'longest_wait',
          level: 'breach',
        },
      ],
      { ...QUERY_DEFAULTS.annotations, refId: 'Anno' }
    );
    const events = await lastValueFrom(
      annotationSupport.processEvents!({ name: 'SLA', enable: true, iconColor: 'red' }, [frame])
    );
    expect(events).toEqual([
      {
        time: 1000,
        timeEnd: 5000,
        isRegion: true,
        title: 'Sales breach',
        text: 'Longest wait 95 s',
        tags: ['sla', 'Sales'],
        color: 'red',
      },
    ]);
  });

  it('prepares an annotation saved without a target as an annotations query', () => {
    const prepared = annotationSupport.prepareAnnotation!({ name: 'SLA', enable: true, iconColor: 'red' });
    expect(prepared.target).toMatchObject({ queryType: 'annotations', levels: ['breach'], queues: [] });
  });

  it('reads tags given as one comma-separated string', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000] },
        { name: 'title', type: FieldType.string, values: ['Support warning'] },
        { name: 'tags', type: FieldType.string, values: ['sla,Support'] },
      ],
    });
    expect(toAnnotationEvents([frame])).toEqual([
      { time: 1000, title: 'Support warning', text: '', tags: ['sla', 'Support'], color: 'red' },
    ]);
  });
});
