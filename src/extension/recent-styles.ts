/** The subset of vscode.Memento used (globalState: remembered across sessions and workspaces). */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'recentStyles';

/** Style images used lately (URI strings), most recent first, offered first when picking a style. */
export class RecentStyles {
  constructor(private readonly memento: MementoLike, private readonly max = 8) {}

  list(): string[] {
    const v = this.memento.get<unknown>(KEY);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string').slice(0, this.max) : [];
  }

  async remember(uris: readonly string[]): Promise<void> {
    const next = [...uris, ...this.list().filter((u) => !uris.includes(u))].slice(0, this.max);
    await this.memento.update(KEY, next);
  }
}
