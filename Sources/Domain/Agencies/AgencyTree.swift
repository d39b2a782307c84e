import Foundation

/// The agency hierarchy as a parent map. Used to compute an officer's visible subtree
/// and to refuse moves that would create a cycle.
public struct AgencyTree: Sendable {
    private let parentOf: [UUID: UUID]
    private let childrenOf: [UUID: [UUID]]

    public init(parents: [(id: UUID, parentId: UUID?)]) {
        var parentOf: [UUID: UUID] = [:]
        var childrenOf: [UUID: [UUID]] = [:]
        for (id, parent) in parents {
            if let parent {
                parentOf[id] = parent
                childrenOf[parent, default: []].append(id)
            }
        }
        self.parentOf = parentOf
        self.childrenOf = childrenOf
    }

    /// The agency itself and every agency below it.
    public func subtree(of root: UUID) -> Set<UUID> {
        var result: Set<UUID> = [root]
        var stack = [root]
        while let next = stack.popLast() {
            for child in childrenOf[next, default: []] where result.insert(child).inserted {
                stack.append(child)
            }
        }
        return result
    }

    /// The chain from the agency up to its root, the agency first.
    public func ancestors(of id: UUID) -> [UUID] {
        var chain = [id]
        var seen: Set<UUID> = [id]
        var current = id
        while let parent = parentOf[current], seen.insert(parent).inserted {
            chain.append(parent)
            current = parent
        }
        return chain
    }

    /// Whether giving `id` the parent `newParent` would put it below itself.
    public func wouldCreateCycle(moving id: UUID, under newParent: UUID?) -> Bool {
        guard let newParent else { return false }
        return subtree(of: id).contains(newParent)
    }

    public func depth(of id: UUID) -> Int { ancestors(of: id).count - 1 }
}
