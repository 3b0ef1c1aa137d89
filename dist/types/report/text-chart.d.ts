import type { ChartPoint } from './trial-series.js';
export interface TextChartInput {
    points: readonly ChartPoint[];
    /** x where the warm-up ended; drawn as a column marker when inside the plotted range. */
    warmupEndX?: number;
    /** The fitted line, from (x0, y0) to (x1, y1). */
    trend?: {
        x0: number;
        y0: number;
        x1: number;
        y1: number;
    } | undefined;
    /** Plot area in characters (axes and labels come on top). */
    width?: number;
    height?: number;
    ascii?: boolean;
    /** Label of the x unit under the axis ("req", or "ms" for a run analysed over time). */
    xUnit?: string;
    /** Line above the plot. */
    title?: string;
}
export declare const TEXT_CHART_WIDTH = 60;
export declare const TEXT_CHART_HEIGHT = 12;
/** Column of x in a plot `width` wide spanning [x0, x1]. */
export declare function columnOf(x: number, x0: number, x1: number, width: number): number;
/** The plot as lines of text; an empty array when there are fewer than two points to draw. */
export declare function renderTextChart(input: TextChartInput): string[];
