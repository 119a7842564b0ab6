import { Alert, Center, Loader } from '@mantine/core';
import { useCurrentUser, useSetupStatus } from './api/session.ts';
import type { User } from './api/types.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { FunnelPage } from './pages/FunnelPage.tsx';
import { LeadDefinitionPage } from './pages/LeadDefinitionPage.tsx';
import { LeadPage } from './pages/LeadPage.tsx';
import { NewDraftPage } from './pages/NewDraftPage.tsx';
import { PeoplePage } from './pages/PeoplePage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { type Route, useRoute } from './router.ts';

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
    case 'funnel':
      return <FunnelPage />;
  }
}
