/**
 * Which devices have their own value for which parameter, as the form's fields read it.
 * A tiny external store: a field subscribes to its own parameter, so marking one field as
 * overridden redraws that field only, not the 200 others (the form is not redrawn at all).
 */
export class OverrideMarks {
  private byParameter = new Map<string, string>();
  private listeners = new Set<() => void>();

  /** Devices (joined by ", ") that override `parameter`; '' when none. */
  devicesOf = (parameter: string): string => this.byParameter.get(parameter) ?? '';

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Replaces the marks from each device's overrides; listeners hear only of a real change. */
  update(overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>): void {
    const next = new Map<string, string[]>();
    for (const device of Object.keys(overrides).sort()) {
      for (const parameter of Object.keys(overrides[device] ?? {})) {
        const list = next.get(parameter);
        if (list) list.push(device);
        else next.set(parameter, [device]);
      }
    }
    const joined = new Map([...next].map(([p, devices]) => [p, devices.join(', ')]));
    const changed =
      joined.size !== this.byParameter.size ||
      [...joined].some(([p, devices]) => this.byParameter.get(p) !== devices);
    if (!changed) return;
    this.byParameter = joined;
    for (const listener of this.listeners) listener();
  }
}
