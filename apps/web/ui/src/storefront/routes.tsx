import type { Route } from '../app/router';
import { AccountPage } from './AccountPage';
import { OrderPage } from './OrderPage';
import { ShowPage } from './ShowPage';
import { ShowsPage } from './ShowsPage';
import { SignInPage } from './SignInPage';

/** The storefront's pages. */
export const storefrontRoutes: Route[] = [
  { path: '/', render: () => <ShowsPage /> },
  { path: '/shows/:id', render: ({ id }) => <ShowPage key={id} showId={id!} /> },
  { path: '/orders/:id', render: ({ id }) => <OrderPage key={id} orderId={id!} /> },
  { path: '/me', render: () => <AccountPage /> },
  { path: '/sign-in', render: () => <SignInPage /> },
];
