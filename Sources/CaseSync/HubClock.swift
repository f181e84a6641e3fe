import Foundation
import CaseStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The hub's clock, from the `Date` header of its `/health` (DESIGN §7: a node compares
/// its clock with the hub's and warns past the tolerance).
public enum HubClock {
    /// The hub's time, or nil when it cannot be asked (unreachable, or a certificate this
    /// process does not trust): the sync itself reports reachability.
    public static func time(hubURL: String, timeout: TimeInterval = 5) -> Date? {
        guard var components = URLComponents(string: hubURL), components.scheme == "http" || components.scheme == "https" else { return nil }
        components.user = nil
        components.password = nil
        components.path = "/health"
        guard let url = components.url else { return nil }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let done = DispatchSemaphore(value: 0)
        let box = LockedValue<String>()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            if let header = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Date") { box.set(header) }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 1) == .success, let header = box.value else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: header)
    }
}
