import type { Metric, Registry } from 'prom-client';

/** One sample of a metric: its value, labels, and for a histogram's parts the series name. */
export interface MetricSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string>>;
  /** `<name>_bucket`, `<name>_sum` or `<name>_count` for a histogram; the metric's name otherwise. */
  readonly metricName?: string;
}

/** The Prometheus types a snapshot metric can be. */
export type SnapshotMetricType = 'counter' | 'gauge' | 'histogram';

/**
 * A metric whose samples are read from the server's own counters when
 * scraped. prom-client's classes own their values (a counter can only be
 * incremented, a histogram only observed), but the server already counts
 * everything on its call path; copying each event into prom-client too
 * would cost on every call. The registry reads a metric through `get()`
 * alone, so an object answering it is a metric of its own.
 */
export class SnapshotMetric {
  /** How prom-client's cluster aggregation would merge it. */
  readonly aggregator = 'sum';

  constructor(
    /** Prometheus name. */
    readonly name: string,
    /** Its HELP text. */
    readonly help: string,
    /** Its TYPE. */
    readonly type: SnapshotMetricType,
    private readonly read: () => readonly MetricSample[],
  ) {}

  /** What the registry formats: the samples as they are now. */
  async get(): Promise<{
    name: string;
    help: string;
    type: SnapshotMetricType;
    values: MetricSample[];
    aggregator: string;
  }> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values: [...this.read()],
      aggregator: this.aggregator,
    };
  }

  /** The values are the server's, not this object's: nothing to reset (Registry.resetMetrics calls it). */
  reset(): void {}

  /** Adds it to a registry. */
  registerIn(registry: Registry): void {
    // prom-client's declarations name only its own four classes, while its
    // registry needs no more than name, help, type and get().
    registry.registerMetric(this as unknown as Metric);
  }
}
