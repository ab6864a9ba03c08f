import ExerciseSupport
import Raft

extension Catalog {
    static let ch06 = ChapterExercises(chapter: 6, exercises: [])
}
