/// A dictionary of at most `limit` entries that keeps those used lately: entries live in
/// two generations; when the young one is full the old one is forgotten and the young one
/// becomes old, and an old entry read again moves back to the young one. Inlinable, so that
/// each module that uses it gets it specialized for its types (a generic from another
/// module is otherwise called through witness tables).
public struct BoundedCache<Key: Hashable, Value> {
    @usableFromInline var young: [Key: Value] = [:]
    @usableFromInline var old: [Key: Value] = [:]
    public let limit: Int

    @inlinable public init(limit: Int) { self.limit = limit }

    @inlinable public subscript(key: Key) -> Value? {
        mutating get {
            if let value = young[key] { return value }
            guard let value = old.removeValue(forKey: key) else { return nil }
            insert(key, value)
            return value
        }
        set {
            if let newValue { insert(key, newValue) } else { young[key] = nil; old[key] = nil }
        }
    }

    /// Forgets every entry.
    @inlinable public mutating func removeAll() {
        young = [:]
        old = [:]
    }

    @inlinable mutating func insert(_ key: Key, _ value: Value) {
        if young[key] == nil, young.count >= max(1, limit / 2) {
            old = young
            young = [:]
            young.reserveCapacity(max(1, limit / 2))
        }
        young[key] = value
    }
}
