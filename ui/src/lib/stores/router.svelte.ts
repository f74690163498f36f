// A tiny in-memory router: the app has four screens and no URLs to share.

export type Route =
  | { screen: "new" }
  | { screen: "jobs" }
  | { screen: "people" }
  | { screen: "settings" }
  | { screen: "job"; id: number };

class Router {
  route = $state<Route>({ screen: "new" });

  /** Shows another screen. */
  go(route: Route): void {
    this.route = route;
  }
}

export const router = new Router();
