package dev.llmlab.hub;

import dev.llmlab.error.HubException;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.error.ModelNotFoundException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;

/** The hub's refusals as messages that say what happened and what to do about it. */
final class HubErrors {
    private HubErrors() {
    }

    static LlmlabException forStatus(int status, HttpHeaders headers, HubClient.Target target, HubSettings settings) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String what = target.describe();
        String page = settings.endpoint() + (target.repo() != null ? "/" + target.repo() : "");
        String tokens = settings.endpoint() + "/settings/tokens";
        if (code.equals("GatedRepo") || (status == 403 && target.repo() != null)) {
            return new HubException(target.repo() + " is gated (HTTP " + status + "): accept its licence on "
                    + page + " while logged in, then set HF_TOKEN to an access token of that account ("
                    + tokens + ")" + (settings.token() == null ? "; HF_TOKEN is not set" : ""));
        }
        if (code.equals("EntryNotFound")) {
            return new ModelNotFoundException("no file '" + target.path() + "' in " + target.repo() + " at revision "
                    + target.revision() + " (HTTP " + status + "): check the file name; `llmlab info "
                    + target.repo() + "` lists the files");
        }
        if (code.equals("RevisionNotFound")) {
            return new ModelNotFoundException("no revision '" + target.revision() + "' in " + target.repo()
                    + " (HTTP " + status + "): check the branch, tag or commit after '@'");
        }
        if (status == 401) {
            return settings.token() == null
                    ? new HubException(what + ": the hub answered 401 (unauthorized): the repository does not exist"
                    + " or is private or gated. Check the name (`llmlab search NAME`); if it is private or gated, "
                    + "log in: set HF_TOKEN to an access token from " + tokens)
                    : new HubException(what + ": the hub refused the token in HF_TOKEN (401): check that it is "
                    + "valid and not expired (" + tokens + "), and that the repository name is right");
        }
        if (status == 403) {
            return new HubException(what + ": access forbidden (403): use a token with read access (HF_TOKEN)");
        }
        if (status == 404) {
            return new ModelNotFoundException(what + " was not found on " + settings.endpoint() + " (404): check the"
                    + " repository name" + (target.path() != null ? " and the file path" : "")
                    + "; `llmlab search NAME` finds repositories");
        }
        return new HubException(what + ": the hub answered HTTP " + status
                + headers.firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse(""));
    }

    static HubException gaveUp(HubClient.Target target, int attempts, IOException last, HubSettings settings) {
        String what = target.describe();
        if (last instanceof HubClient.RetryableStatus s && s.status == 429) {
            return new HubException(what + ": rate limited by the hub (HTTP 429) " + attempts + " times: wait a few "
                    + "minutes and run again" + (settings.token() == null ? ", or set HF_TOKEN (logged-in users "
                    + "have higher limits)" : ""), last);
        }
        if (last instanceof HubClient.RetryableStatus s) {
            return new HubException(what + ": the hub failed (HTTP " + s.status + ") " + attempts + " times: try "
                    + "again later", last);
        }
        return new HubException(what + ": " + reason(last) + " (" + attempts + " attempts to "
                + settings.endpoint() + "): check the network or HF_ENDPOINT; run again to resume", last);
    }

    static HubException cannotConnect(HubClient.Target target, IOException e, HubSettings settings) {
        return new HubException(target.describe() + ": cannot connect to " + settings.endpoint() + " ("
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + "): if you are "
                + "offline, set HF_HUB_OFFLINE=1 or pass --offline to use only the cache; else check HF_ENDPOINT", e);
    }

    static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String reason(IOException e) {
        if (e instanceof HubClient.RetryableStatus s) {
            return "HTTP " + s.status;
        }
        if (e instanceof ConnectException) {
            return "cannot connect";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
