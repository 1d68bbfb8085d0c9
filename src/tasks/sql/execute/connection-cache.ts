/** Open connections by database path, at most `limit` at once: opening one more closes the oldest. */
export class ConnectionCache<T extends { close(): void }> {
  private readonly open = new Map<string, T>();

  constructor(
    private readonly connect: (path: string) => T,
    private readonly limit = 32,
  ) {}

  get(path: string): T {
    const existing = this.open.get(path);
    if (existing) return existing;
    if (this.open.size >= this.limit) {
      const [oldestPath, oldest] = this.open.entries().next().value as [string, T];
      oldest.close();
      this.open.delete(oldestPath);
    }
    const connection = this.connect(path);
    this.open.set(path, connection);
    return connection;
  }

  closeAll(): void {
    for (const connection of this.open.values()) connection.close();
    this.open.clear();
  }
}
