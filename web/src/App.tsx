import { Alert, Center, Loader } from '@mantine/core';
import { useCurrentUser, useSetupStatus } from './api/session.ts';
import type { User } from './api/types.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { AnalyticsPage } from './pages/AnalyticsPage.tsx';
import { FeedbackPage } from './pages/FeedbackPage.tsx';
import { FunnelPage } from './pages/FunnelPage.tsx';
import { IntegrationsPage } from './pages/IntegrationsPage.tsx';
import { LeadDefinitionPage } from './pages/LeadDefinitionPage.tsx';
import { LeadPage } from './pages/LeadPage.tsx';
import { NewDraftPage } from './pages/NewDraftPage.tsx';
import { OpportunitiesPage } from './pages/OpportunitiesPage.tsx';
import { PeoplePage } from './pages/PeoplePage.tsx';
import { PromisesPage } from './pages/PromisesPage.tsx';
import { QueuePage } from './pages/QueuePage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { TargetsPage } from './pages/TargetsPage.tsx';
import { type Route, useRoute } from './router.ts';
import { BottlenecksPage } from './targets/BottlenecksPage.tsx';

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
      <CurrentPage route={route} user={currentUser.data} />
    </AppLayout>
  );
}

function CurrentPage({ route, user }: { route: Route; user: User }) {
  switch (route.page) {
    case 'people':
      return <PeoplePage />;
    case 'lead':
      return <LeadPage key={route.personId} personId={route.personId} />;
    case 'leadDefinition':
      return <LeadDefinitionPage user={user} />;
    case 'newDraft':
      return <NewDraftPage user={user} />;
    case 'integrations':
      return <IntegrationsPage user={user} />;
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
    case 'funnel':
      return <FunnelPage />;
  }
}
