export interface Repository {
  find(id: string): Promise<string | undefined>;
}
