import { Alert, Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useCurrentUser, useSetupStatus } from './api/session.ts';
import type { User } from './api/types.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { FunnelPage } from './pages/FunnelPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { type Route, useRoute } from './router.ts';

// Every page but the first is loaded when it is opened, so the first screen does not wait for them.
const AccountsPage = lazy(() =>
  import('./pages/AccountsPage.tsx').then((m) => ({ default: m.AccountsPage })),
);
const AnalyticsPage = lazy(() =>
  import('./pages/AnalyticsPage.tsx').then((m) => ({ default: m.AnalyticsPage })),
);
const BottlenecksPage = lazy(() =>
  import('./targets/BottlenecksPage.tsx').then((m) => ({ default: m.BottlenecksPage })),
);
const FeedbackPage = lazy(() =>
  import('./pages/FeedbackPage.tsx').then((m) => ({ default: m.FeedbackPage })),
);
const ImportPage = lazy(() => import('./pages/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const IntegrationsPage = lazy(() =>
  import('./pages/IntegrationsPage.tsx').then((m) => ({ default: m.IntegrationsPage })),
);
const LeadDefinitionPage = lazy(() =>
  import('./pages/LeadDefinitionPage.tsx').then((m) => ({ default: m.LeadDefinitionPage })),
);
const LeadPage = lazy(() => import('./pages/LeadPage.tsx').then((m) => ({ default: m.LeadPage })));
const NewDraftPage = lazy(() =>
  import('./pages/NewDraftPage.tsx').then((m) => ({ default: m.NewDraftPage })),
);
const OpportunitiesPage = lazy(() =>
  import('./pages/OpportunitiesPage.tsx').then((m) => ({ default: m.OpportunitiesPage })),
);
const PeoplePage = lazy(() => import('./pages/PeoplePage.tsx').then((m) => ({ default: m.PeoplePage })));
const PromisesPage = lazy(() =>
  import('./pages/PromisesPage.tsx').then((m) => ({ default: m.PromisesPage })),
);
const QueuePage = lazy(() => import('./pages/QueuePage.tsx').then((m) => ({ default: m.QueuePage })));
const TeamPage = lazy(() => import('./pages/TeamPage.tsx').then((m) => ({ default: m.TeamPage })));
const TargetsPage = lazy(() => import('./pages/TargetsPage.tsx').then((m) => ({ default: m.TargetsPage })));

/** First run → create the admin; signed out → sign in; otherwise the page in the address bar. */
export function App() {
  const setup = useSetupStatus();
  const currentUser = useCurrentUser();
  const [route, navigate] = useRoute();

  const failure = setup.error ?? currentUser.error;
  if (failure) {
    return (
      <Center mih="100vh" p="md">
        <Alert color="red" title="Lockstep is not answering" maw={480}>
          {failure.message}
        </Alert>
      </Center>
    );
  }
  if (!setup.data || currentUser.data === undefined) {
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  }
  if (setup.data.needsSetup) return <SetupPage />;
  if (!currentUser.data) return <SignInPage demoAdminEmail={setup.data.demoAdminEmail} />;

  return (
    <AppLayout user={currentUser.data} route={route} onNavigate={navigate}>
      <Suspense
        fallback={
          <Center py="xl">
            <Loader />
          </Center>
        }
      >
        <CurrentPage route={route} user={currentUser.data} />
      </Suspense>
    </AppLayout>
  );
}

function CurrentPage({ route, user }: { route: Route; user: User }) {
  switch (route.page) {
    case 'people':
      return <PeoplePage />;
    case 'accounts':
      return <AccountsPage />;
    case 'lead':
      return <LeadPage key={route.personId} personId={route.personId} />;
    case 'leadDefinition':
      return <LeadDefinitionPage user={user} />;
    case 'newDraft':
      return <NewDraftPage user={user} />;
    case 'integrations':
      return <IntegrationsPage user={user} />;
    case 'import':
      return <ImportPage user={user} />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'opportunities':
      return <OpportunitiesPage />;
    case 'targets':
      return <TargetsPage user={user} />;
    case 'bottlenecks':
      return <BottlenecksPage />;
    case 'queue':
      return <QueuePage user={user} />;
    case 'promises':
      return <PromisesPage user={user} />;
    case 'feedback':
      return <FeedbackPage />;
    case 'team':
      return <TeamPage user={user} />;
    case 'funnel':
      return <FunnelPage />;
  }
}
