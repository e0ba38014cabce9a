import { Badge } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { ALERTS_SEEN_EVENT, alertsSeenAt, unseenAlerts } from './alertBadge';
import { graphql } from './gql';
import { useLiveQuery } from './useLiveQuery';

/** The latest alerts, for the badges: the menu's and the board's cards'. */
export const RECENT_ALERTS = graphql(`
  query RecentAlerts {
    alerts(first: 100) {
      edges {
        node {
          id
          raisedAt
          workOrderId
        }
      }
    }
  }
`);

/** Each alert the api raises for the user: the badges count again. */
export const ALERT_RAISED = graphql(`
  subscription AlertRaised {
    alerts {
      id
    }
  }
`);

/** The alerts menu item, with the number of alerts raised since the user last opened the page. */
export function AlertsMenuLabel({ label, username }: { label: ReactNode; username: string }) {
  const { data } = useLiveQuery(RECENT_ALERTS, {}, ALERT_RAISED);
  const [seenAt, setSeenAt] = useState(() => alertsSeenAt(username));
  useEffect(() => {
    const refresh = () => {
      setSeenAt(alertsSeenAt(username));
    };
    window.addEventListener(ALERTS_SEEN_EVENT, refresh);
    return () => {
      window.removeEventListener(ALERTS_SEEN_EVENT, refresh);
    };
  }, [username]);
  const count = unseenAlerts(
    (data?.alerts.edges ?? []).map((e) => e.node),
    seenAt,
  );
  return (
    <Badge count={count} size="small" offset={[10, -4]} overflowCount={99} data-testid="alerts-badge">
      {label}
    </Badge>
  );
}
