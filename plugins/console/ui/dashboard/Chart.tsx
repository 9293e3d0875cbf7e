// One uPlot chart in a Preact component: built when its data changes, resized with its box (the
// window or the layout), destroyed on unmount. A click in the plot reports the point under the
// cursor, which the dashboard turns into a drill into that time bucket's requests.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  readonly title: string;
  /** Built by the caller from the same data (series, axes, scales). */
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
  readonly height?: number;
  readonly onPick?: (index: number) => void;
}

const MIN_WIDTH = 240;

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  const height = props.height ?? 180;

  useEffect(() => {
    const element = box.current!;
    const width = () => Math.max(MIN_WIDTH, element.clientWidth);
    const plot = new uPlot({ ...props.options, width: width(), height }, props.data, element);
    const click = () => {
      const index = plot.cursor.idx;
      if (index !== null && index !== undefined) pick.current?.(index);
    };
    plot.over.addEventListener('click', click);
    // A ResizeObserver follows the window and any change of layout, not only window resizes.
    const resize = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.over.removeEventListener('click', click);
      plot.destroy();
    };
  }, [props.options, props.data, height]);

  return (
    <figure class="dash-chart" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} class={props.onPick ? 'dash-plot pickable' : 'dash-plot'} />
    </figure>
  );
}
